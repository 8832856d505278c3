import { randomBytes } from "node:crypto";

/** What the page says after an action: its outcome and what calsync did about it. */
export type Notice = { kind: "ok" | "error"; title: string; lines: string[] };

/**
 * Notices wait here between a form's POST and the GET its redirect makes (post/redirect/get), found by a
 * random id: the URL never carries the text, so nobody can make the page say something through a link.
 */
export function createNoticeBoard(capacity = 50) {
  const notices = new Map<string, Notice>();
  return {
    post(notice: Notice): string {
      const id = randomBytes(8).toString("hex");
      notices.set(id, notice);
      // Oldest first out: a page nobody came back for does not keep its notice forever.
      while (notices.size > capacity) notices.delete(notices.keys().next().value as string);
      return id;
    },
    read(id: string | undefined): Notice | null {
      return id ? (notices.get(id) ?? null) : null;
    },
  };
}

export type NoticeBoard = ReturnType<typeof createNoticeBoard>;
