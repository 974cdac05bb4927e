import { AdminActionButton } from "../_components/admin-action-button";
import { adminSuspendTeam, adminUnsuspendTeam } from "./actions";

/** Suspend (with a reason the team's owners see) or lift a suspension, through lib/teams. */
export function SuspendControls({ team }: { team: { id: string; name: string; suspendedAt: Date | null } }) {
  return team.suspendedAt ? (
    <AdminActionButton
      action={adminUnsuspendTeam}
      label="Unsuspend"
      ariaLabel={`Unsuspend ${team.name}`}
      title="Lift the suspension"
      description={`${team.name}'s keys that were not revoked work again from the next request.`}
      submitLabel="Unsuspend team"
      hidden={{ teamId: team.id }}
    />
  ) : (
    <AdminActionButton
      action={adminSuspendTeam}
      label="Suspend"
      ariaLabel={`Suspend ${team.name}`}
      title="Suspend team"
      description={`Every key of ${team.name} is refused from the next request, on every instance. Its owners see the reason.`}
      submitLabel="Suspend team"
      variant="danger"
      hidden={{ teamId: team.id }}
      fields={[{ name: "reason", label: "Reason", required: true, hint: "Shown to the team's owners." }]}
    />
  );
}
