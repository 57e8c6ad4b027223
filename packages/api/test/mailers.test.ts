import { readFile, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { developmentMailbox, smtpMailer } from "../src/index";

/** Just enough of an SMTP server (RFC 5321 happy path, no TLS, no auth) to receive one message. */
let server: ReturnType<typeof createServer>;
let port = 0;
const received: { from: string; to: string[]; data: string }[] = [];

beforeAll(async () => {
  server = createServer((socket: Socket) => {
    let buffer = "";
    let inData = false;
    let mail = { from: "", to: [] as string[], data: "" };
    socket.write("220 fake.smtp ESMTP\r\n");
    socket.on("data", (chunk: Buffer) => {
      buffer += chunk.toString("utf8");
      let index = buffer.indexOf("\r\n");
      while (index !== -1) {
        const line = buffer.slice(0, index);
        buffer = buffer.slice(index + 2);
        if (inData) {
          if (line === ".") {
            inData = false;
            received.push(mail);
            mail = { from: "", to: [], data: "" };
            socket.write("250 OK queued\r\n");
          } else mail.data += `${line.startsWith("..") ? line.slice(1) : line}\n`;
        } else if (/^(EHLO|HELO)/i.test(line)) socket.write("250-fake.smtp\r\n250 8BITMIME\r\n");
        else if (/^MAIL FROM:/i.test(line)) {
          mail.from = line.slice(10);
          socket.write("250 OK\r\n");
        } else if (/^RCPT TO:/i.test(line)) {
          mail.to.push(line.slice(8));
          socket.write("250 OK\r\n");
        } else if (/^DATA/i.test(line)) {
          inData = true;
          socket.write("354 End data with <CR><LF>.<CR><LF>\r\n");
        } else if (/^QUIT/i.test(line)) socket.end("221 Bye\r\n");
        else socket.write("250 OK\r\n");
        index = buffer.indexOf("\r\n");
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("mailers", () => {
  it("smtpMailer delivers a plain-text message over SMTP", async () => {
    const mailer = smtpMailer(
      `smtp://127.0.0.1:${port}/?ignoreTLS=true`,
      "Junction <no-reply@junction.test>",
    );
    await mailer.send({
      to: "ada@example.com",
      subject: "Reset your Junction password",
      text: "Open http://x/y",
    });
    expect(received).toHaveLength(1);
    expect(received[0]?.from).toContain("no-reply@junction.test");
    expect(received[0]?.to).toEqual(["<ada@example.com>"]);
    expect(received[0]?.data).toContain("Subject: Reset your Junction password");
    expect(received[0]?.data).toContain("Open http://x/y");
  });

  it("developmentMailbox appends the message to its file and logs recipient and subject, not the link", async () => {
    const path = join(tmpdir(), `junction-mailbox-${process.pid}-${Date.now()}`, "mailbox.log");
    const lines: string[] = [];
    const mailbox = developmentMailbox(path, (line) => lines.push(line));
    try {
      await mailbox.send({ to: "a@example.com", subject: "First", text: "link https://x/one" });
      await mailbox.send({ to: "b@example.com", subject: "Second", text: "link https://x/two" });
      const text = await readFile(path, "utf8");
      expect(text).toContain("To: a@example.com\nSubject: First\n\nlink https://x/one");
      expect(text.indexOf("https://x/one")).toBeLessThan(text.indexOf("https://x/two"));
      expect(lines).toHaveLength(2);
      expect(lines[1]).toContain('"Second" to b@example.com');
      expect(lines.join("\n")).not.toContain("https://x/");
    } finally {
      await rm(join(path, ".."), { recursive: true, force: true });
    }
  });
});
