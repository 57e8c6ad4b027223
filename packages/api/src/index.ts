export { redactAuditValue, writeAudit } from "./audit";
export { type SignedInUser, verifyCredentials } from "./auth/credentials";
export { type OAuthIdentity, type OAuthOutcome, signInWithOAuth } from "./auth/oauth";
export { hashPassword, verifyPassword } from "./auth/password";
export {
  isSessionActive,
  listSessions,
  newSessionId,
  registerSession,
  revokeOtherSessions,
  revokeSession,
} from "./auth/session-registry";
export { type ApiServices, createTRPCContext, type SessionIdentity, type TRPCContext } from "./context";
export type { ErrorData, FieldErrors } from "./errors";
export { developmentMailbox, type Mailer, type MailMessage, memoryMailer } from "./mail/mailer";
export { smtpMailer } from "./mail/smtp";
export { type AuditFilter, auditCsv, auditFilterInput } from "./queries/audit-log";
export { OTHER_SERIES } from "./queries/usage";
export { hasRole, ROLE_RANK, ROLES } from "./roles";
export { type AppRouter, appRouter, createCaller } from "./root";
export type { ApiKeyStatus, ApiKeyView } from "./routers/api-keys";
export { findMembership, resolveTenant, type Tenant } from "./tenancy";
export { createTRPCRouter, publicProcedure } from "./trpc";
