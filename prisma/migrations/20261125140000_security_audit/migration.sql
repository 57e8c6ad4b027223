-- Custom endpoints belong to their organization (deleted with it).
-- AddForeignKey
ALTER TABLE "CustomEndpoint" ADD CONSTRAINT "CustomEndpoint_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The audit log is append-only: UPDATE and DELETE are refused, except when a foreign key's own action runs them
-- (an organization's deletion cascading to its log, a user's deletion nulling "actorUserId"). Those run inside
-- the constraint's trigger, so pg_trigger_depth() is above 1 there and exactly 1 for any direct statement.
-- The body is an E'' string with its semicolons written as \073: the offline migration runner (the pg driver
-- adapter's executeScript) splits scripts on every semicolon, even inside function bodies.
CREATE FUNCTION "audit_log_append_only"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF pg_trigger_depth() > 1 THEN
    IF TG_OP = ''DELETE'' THEN
      RETURN OLD\073
    END IF\073
    RETURN NEW\073
  END IF\073
  RAISE EXCEPTION ''AuditLog is append-only (% refused)'', TG_OP USING ERRCODE = ''insufficient_privilege''\073
END\073
';

CREATE TRIGGER "AuditLog_append_only" BEFORE UPDATE OR DELETE ON "AuditLog"
  FOR EACH ROW EXECUTE FUNCTION "audit_log_append_only"();
