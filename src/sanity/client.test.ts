import { describe, expect, it } from "vitest";
import { ConfigError } from "../errors.ts";
import { createSanityClient } from "./client.ts";

const settings = { projectId: "abc123", dataset: "production", token: "secret" };
const queryUrl = (client: ReturnType<typeof createSanityClient>) => client.getUrl(client.getDataUrl("query"));

describe("createSanityClient", () => {
  it("talks to the project's own hostname on Sanity's default host", () => {
    const client = createSanityClient({
      ...settings,
      apiHost: "https://api.sanity.io",
      apiVersion: "2025-02-19",
    });
    expect(queryUrl(client)).toBe("https://abc123.api.sanity.io/v2025-02-19/data/query/production");
  });

  it("sends everything to another host as given, version first", () => {
    const client = createSanityClient({
      ...settings,
      apiHost: "http://127.0.0.1:4010/",
      apiVersion: "v2024-06-01",
    });
    expect(queryUrl(client)).toBe("http://127.0.0.1:4010/v2024-06-01/data/query/production");
  });

  it("defaults to Sanity's host, API version 2025-02-19, no CDN and no retries of its own", () => {
    const config = createSanityClient(settings).config();
    expect(config).toMatchObject({
      apiHost: "https://api.sanity.io",
      apiVersion: "2025-02-19",
      useCdn: false,
      maxRetries: 0,
      useProjectHostname: true,
      token: "secret",
    });
  });

  it("names the missing settings instead of building a client that cannot work", () => {
    expect(() => createSanityClient({ projectId: undefined, dataset: undefined, token: "x" })).toThrow(
      ConfigError,
    );
    expect(() => createSanityClient({ projectId: undefined, dataset: "production", token: "x" })).toThrow(
      /SANITY_PROJECT_ID/,
    );
  });
});
