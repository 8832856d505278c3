import { setTimeout as delay } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { DocumentStore, type StoredDocument } from "./document-store.ts";

const document = (id: string, rev: string): StoredDocument => ({
  _id: id,
  _type: "dbrLead",
  _rev: rev,
  _createdAt: "2025-10-27T12:00:00Z",
  _updatedAt: "2025-10-27T12:00:00Z",
});

describe("DocumentStore", () => {
  it("runs transactions one after another, even when one of them waits", async () => {
    const store = new DocumentStore();
    const events: string[] = [];
    const slow = store.exclusive(async () => {
      events.push("slow starts");
      await delay(20);
      events.push("slow ends");
    });
    const quick = store.exclusive(async () => {
      events.push("quick runs");
    });
    await Promise.all([slow, quick]);
    expect(events).toEqual(["slow starts", "slow ends", "quick runs"]);
  });

  it("keeps going after a transaction fails", async () => {
    const store = new DocumentStore();
    await expect(store.exclusive(async () => Promise.reject(new Error("refused")))).rejects.toThrow(
      "refused",
    );
    await expect(store.exclusive(async () => "next")).resolves.toBe("next");
  });

  it("commits only what a transaction touched, so documents written meanwhile survive", () => {
    const store = new DocumentStore();
    store.put(document("a", "r1"));
    const snapshot = store.snapshot();
    store.put(document("seeded", "r1"));
    snapshot.set("a", document("a", "r2"));
    store.commit({ written: new Map([["a", document("a", "r2")]]), deleted: new Set() });
    expect(store.all().map((stored) => `${stored._id}@${stored._rev}`)).toEqual(["a@r2", "seeded@r1"]);
  });

  it("hands out copies, never its own documents", () => {
    const store = new DocumentStore();
    store.put(document("a", "r1"));
    const copy = store.get("a");
    if (copy) copy._rev = "changed";
    expect(store.get("a")?._rev).toBe("r1");
  });
});
