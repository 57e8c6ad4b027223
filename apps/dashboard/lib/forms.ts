/** The first validation message per top-level field (`_form` for issues about the whole input), for inline errors. */
export function firstIssueByField(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): Record<string, string> {
  const byField: Record<string, string> = {};
  for (const issue of issues) byField[String(issue.path[0] ?? "_form")] ??= issue.message;
  return byField;
}
