import { AdminActionButton } from "../_components/admin-action-button";
import { adminSuspendTeam, adminUnsuspendTeam } from "./actions";

/**
 * Suspend (with a reason the team's owners see) or lift a suspension, through lib/teams. A
 * suspension one of the team's owners made (suspendedById set) can be lifted by them, so the
 * console offers to suspend it as the site too, which they then cannot lift.
 */
export function SuspendControls({ team }: { team: { id: string; name: string; suspendedAt: Date | null; suspendedById: string | null } }) {
  const suspend = (
    <AdminActionButton
      action={adminSuspendTeam}
      label="Suspend"
      ariaLabel={`Suspend ${team.name}`}
      title="Suspend team"
      description={`Every key of ${team.name} is refused from the next request, on every instance. Its owners see the reason${team.suspendedAt ? " and can no longer lift the suspension they made" : ""}.`}
      submitLabel="Suspend team"
      variant="danger"
      hidden={{ teamId: team.id }}
      fields={[{ name: "reason", label: "Reason", required: true, hint: "Shown to the team's owners." }]}
    />
  );
  if (!team.suspendedAt) return suspend;
  const unsuspend = (
    <AdminActionButton
      action={adminUnsuspendTeam}
      label="Unsuspend"
      ariaLabel={`Unsuspend ${team.name}`}
      title="Lift the suspension"
      description={`${team.name}'s keys that were not revoked work again from the next request.`}
      submitLabel="Unsuspend team"
      hidden={{ teamId: team.id }}
    />
  );
  return team.suspendedById ? (
    <div className="flex gap-2">
      {unsuspend}
      {suspend}
    </div>
  ) : (
    unsuspend
  );
}
