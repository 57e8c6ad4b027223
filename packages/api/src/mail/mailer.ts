import { appendFile, mkdir } from "node:fs/promises";
import { dirname } from "node:path";

/** One outgoing email. Plain text only: every message is a short note with one link. */
export type MailMessage = { to: string; subject: string; text: string };

/** Where account emails go. The host picks the implementation (SMTP, or the development mailbox). */
export type Mailer = { send(message: MailMessage): Promise<void> };

/**
 * The development mailbox, used when no SMTP server is configured: each message is appended to a file (so a person
 * or an end-to-end test can open the link) and announced with one log line. The log line names the recipient and
 * subject only: the link is a credential and stays in the mailbox file.
 */
export function developmentMailbox(path: string, log: (line: string) => void): Mailer {
  return {
    async send(message) {
      await mkdir(dirname(path), { recursive: true });
      const entry = [
        `----- ${new Date().toISOString()}`,
        `To: ${message.to}`,
        `Subject: ${message.subject}`,
        "",
        message.text,
        "",
        "",
      ].join("\n");
      await appendFile(path, entry, { mode: 0o600 });
      log(`[mailbox] "${message.subject}" to ${message.to} written to ${path}`);
    },
  };
}

/** A mailer that keeps messages in memory (tests). */
export function memoryMailer(): Mailer & { sent: MailMessage[] } {
  const sent: MailMessage[] = [];
  return {
    sent,
    async send(message) {
      sent.push(message);
    },
  };
}
