import { describe, expect, it } from "vitest";
import { UpstreamError } from "../errors.ts";
import { openDatabase } from "./database.ts";
import {
  DatabaseError,
  embeddedDatabaseBusyError,
  embeddedTarget,
  postgresTarget,
  redactConnectionString,
  toDatabaseError,
} from "./database-errors.ts";

describe("redactConnectionString", () => {
  it("hides the password and keeps the rest", () => {
    expect(redactConnectionString("postgres://calsync:hunter2@db.example.com:5432/app")).toBe(
      "postgres://calsync:***@db.example.com:5432/app",
    );
    expect(redactConnectionString("see postgresql://u:p%40ss@h/db and more")).toBe(
      "see postgresql://u:***@h/db and more",
    );
  });

  it("leaves URLs without a password alone", () => {
    expect(redactConnectionString("postgres://root@127.0.0.1:5432/test")).toBe(
      "postgres://root@127.0.0.1:5432/test",
    );
  });
});

describe("toDatabaseError", () => {
  const target = postgresTarget("postgres://calsync:s3cr%21t@db.example.com/app");

  it("keeps a server error's message and SQLSTATE", () => {
    const serverError = Object.assign(new Error('relation "x" does not exist'), {
      severity: "ERROR",
      code: "42P01",
    });
    const error = toDatabaseError(serverError, target);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ system: "database", sqlState: "42P01", cause: serverError });
    expect(error.message).toBe('Database: relation "x" does not exist');
  });

  it("names the server, without its password, when it cannot be reached", () => {
    const networkError = Object.assign(new Error("getaddrinfo ENOTFOUND db.example.com"), {
      code: "ENOTFOUND",
    });
    const error = toDatabaseError(networkError, target);
    expect(error.sqlState).toBeUndefined();
    expect(error.message).toBe(
      "Database: cannot use postgres://calsync:***@db.example.com/app: getaddrinfo ENOTFOUND db.example.com",
    );
  });

  it("scrubs the password wherever the driver repeated it, encoded or not", () => {
    const leaky = new Error("bad password s3cr!t (was s3cr%21t)");
    expect(toDatabaseError(leaky, target).message).not.toMatch(/s3cr/);
  });
});

describe("toDatabaseError on the embedded database", () => {
  const target = embeddedTarget("/srv/.calsync/calsync.db");
  const sqliteError = (message: string, code: string) =>
    Object.assign(new Error(message), { name: "SqliteError", code });

  it("keeps SQLite's message and gives the SQLSTATE PostgreSQL reports for the same failure", () => {
    const unique = sqliteError("UNIQUE constraint failed: items.id", "SQLITE_CONSTRAINT_PRIMARYKEY");
    expect(toDatabaseError(unique, target)).toMatchObject({
      system: "database",
      sqlState: "23505",
      message: "Database: UNIQUE constraint failed: items.id",
      cause: unique,
    });
    expect(toDatabaseError(sqliteError("no such table: x", "SQLITE_ERROR"), target).sqlState).toBe("42P01");
  });

  it("names the file when the file itself is the problem", () => {
    const error = toDatabaseError(sqliteError("unable to open database file", "SQLITE_CANTOPEN"), target);
    expect(error.message).toBe(
      "Database: cannot use the embedded database /srv/.calsync/calsync.db: unable to open database file",
    );
  });

  it("treats the driver's own errors as the statement's, not the file's", () => {
    const error = toDatabaseError(
      new RangeError("The supplied SQL string contains more than one statement"),
      target,
    );
    expect(error.message).toBe("Database: The supplied SQL string contains more than one statement");
  });

  it("says what to do when another process keeps the file locked", () => {
    const error = embeddedDatabaseBusyError("/srv/.calsync/calsync.db", 60_000, undefined);
    expect(error).toBeInstanceOf(DatabaseError);
    expect(error.sqlState).toBe("55P03");
    expect(error.message).toMatch(
      /calsync\.db stayed locked by another process's write for 60000 ms \(SQLITE_BUSY\)/,
    );
    expect(error.message).toMatch(/SYNC_LOCK_TIMEOUT_MS/);
  });
});

describe("openDatabase on an unreachable PostgreSQL", () => {
  it("fails with a DatabaseError whose message names the server but not the password", async () => {
    const attempt = openDatabase({
      url: "postgres://calsync:hunter2@127.0.0.1:1/app",
      embeddedFile: ":memory:",
    });
    const error = await attempt.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DatabaseError);
    expect((error as Error).message).toMatch(
      /^Database: cannot use postgres:\/\/calsync:\*\*\*@127\.0\.0\.1:1\/app: /,
    );
    expect((error as Error).message).not.toContain("hunter2");
  });
});
