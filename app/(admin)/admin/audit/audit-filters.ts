import { readParams } from "../_components/read-params";

export const AUDIT_PARAMS = ["actor", "action", "key", "user", "from", "to", "cursor"] as const;

/** The audit filters as the page and the CSV export read them from the URL. Dates are whole UTC days. */
export function auditFiltersFrom(searchParams: Record<string, string | string[] | undefined>) {
  const params = readParams(searchParams, AUDIT_PARAMS);
  const day = (value: string | undefined, offsetDays: number) => {
    if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
    const date = new Date(`${value}T00:00:00.000Z`);
    return Number.isNaN(date.getTime()) ? undefined : new Date(date.getTime() + offsetDays * 86_400_000);
  };
  return {
    params,
    input: {
      actorEmail: params.actor,
      action: params.action,
      targetKeyId: params.key,
      targetUserId: params.user,
      from: day(params.from, 0),
      // "to" names the last day shown, so the range ends at the start of the next day.
      to: day(params.to, 1),
      cursor: params.cursor,
    },
  };
}
