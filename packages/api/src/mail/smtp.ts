import { createTransport } from "nodemailer";
import type { Mailer } from "./mailer";

/**
 * Account emails over SMTP (`SMTP_URL`, e.g. `smtps://user:pass@smtp.example.com:465` or `smtp://…:587` with
 * STARTTLS), from `from`. Failures propagate: sign-up tolerates them, the other flows report them.
 */
export function smtpMailer(url: string, from: string): Mailer {
  const transport = createTransport(url);
  return {
    async send(message) {
      await transport.sendMail({ from, to: message.to, subject: message.subject, text: message.text });
    },
  };
}
