import type { Metadata } from "next";
import { ConfirmActionButton } from "@/components/confirm-action-button";
import { formatAbsolute, Time } from "@/components/format/dates";
import { Badge } from "@/components/ui/badge";
import { listPendingInvites } from "@/lib/teams/invitations";
import { listTeamMembers } from "@/lib/teams/members";
import { asMember } from "@/lib/teams/team-access";
import { mayAssignRole, TEAM_ROLE_LABELS, TEAM_ROLES, type TeamRole } from "@/lib/teams/team-policy";
import { changeMemberRoleAction, deleteTeamAction, leaveTeamAction, removeMemberAction, revokeInviteAction, suspendTeamAction, unsuspendTeamAction } from "../../actions";
import { InviteForm, RenameTeamForm } from "../../_components/team-forms";
import { loadTeamPage } from "../load-team-page";

export const metadata: Metadata = { title: "Team settings" };

function Section({ id, title, description, children, tone }: { id: string; title: string; description?: React.ReactNode; children: React.ReactNode; tone?: "danger" }) {
  return (
    <section
      aria-labelledby={id}
      className={`rounded-xl border bg-white p-5 dark:bg-zinc-900 ${tone === "danger" ? "border-red-200 dark:border-red-500/30" : "border-zinc-200 dark:border-zinc-800"}`}
    >
      <h2 id={id} className="font-medium">
        {title}
      </h2>
      {description && <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">{description}</p>}
      <div className="mt-4">{children}</div>
    </section>
  );
}

/**
 * A team's settings: members and roles, invitations, leaving, and the owners' danger zone.
 * The controls shown follow the caller's role as lib/teams states it (teamPermissions,
 * mayAssignRole); every action asks lib/teams again, which is what actually decides.
 */
export default async function TeamSettingsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { user, team, role, permissions } = await loadTeamPage((await params).slug);
  const actor = asMember(user.id);
  const [members, invites] = await Promise.all([
    listTeamMembers({ team: { teamId: team.id }, actor }),
    permissions.manageInvites ? listPendingInvites({ team: { teamId: team.id }, actor }) : Promise.resolve([]),
  ]);
  const assignable = (TEAM_ROLES as readonly TeamRole[]).filter((target) => mayAssignRole(role, target));
  const roleOptions = assignable.map((value) => ({ value, label: TEAM_ROLE_LABELS[value] }));
  const hidden = { team: team.slug };

  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">Team settings</h1>

      {permissions.rename && (
        <Section id="team-name" title="Name" description={<>The URL name <code className="font-mono">{team.slug}</code> stays.</>}>
          <RenameTeamForm slug={team.slug} name={team.name} />
        </Section>
      )}

      <Section id="members" title="Members" description="Owners manage everything; admins manage members, invitations and every key; developers create keys and manage their own; viewers only look.">
        <div className="overflow-x-auto">
          <table className="min-w-full divide-y divide-zinc-200 text-sm dark:divide-zinc-800">
            <caption className="sr-only">Members of {team.name}</caption>
            <thead className="text-left text-xs font-medium tracking-wide text-zinc-500 uppercase dark:text-zinc-400">
              <tr>
                <th scope="col" className="py-2 pr-4">Member</th>
                <th scope="col" className="py-2 pr-4">Role</th>
                <th scope="col" className="hidden py-2 pr-4 sm:table-cell">Joined</th>
                <th scope="col" className="py-2"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {members.map((member) => {
                const self = member.userId === user.id;
                const manageable = !self && mayAssignRole(role, member.role);
                return (
                  <tr key={member.userId} data-testid={`member-row-${member.email}`}>
                    <td className="py-2 pr-4">
                      <span className="font-medium">{member.email}</span>
                      {self && <span className="ml-1 text-zinc-500 dark:text-zinc-400">(you)</span>}
                      {member.inactive && <Badge tone="red" className="ml-2">disabled</Badge>}
                      {member.name && <span className="block text-xs text-zinc-500 dark:text-zinc-400">{member.name}</span>}
                    </td>
                    <td className="py-2 pr-4">{TEAM_ROLE_LABELS[member.role]}</td>
                    <td className="hidden py-2 pr-4 whitespace-nowrap text-zinc-600 sm:table-cell dark:text-zinc-400"><Time date={member.joinedAt} /></td>
                    <td className="py-1 text-right whitespace-nowrap">
                      {manageable && roleOptions.length > 1 && (
                        <ConfirmActionButton
                          action={changeMemberRoleAction}
                          label="Change role"
                          ariaLabel={`Change the role of ${member.email}`}
                          title="Change role"
                          description={`${member.email} is ${TEAM_ROLE_LABELS[member.role].toLowerCase()}. The new role applies from their next request.`}
                          submitLabel="Change role"
                          hidden={{ ...hidden, userId: member.userId }}
                          fields={[{ name: "role", label: "New role", options: roleOptions, defaultValue: member.role }]}
                        />
                      )}
                      {manageable && (
                        <ConfirmActionButton
                          action={removeMemberAction}
                          label="Remove"
                          ariaLabel={`Remove ${member.email}`}
                          title="Remove member"
                          description={`${member.email} loses access to ${team.name} on their next request. The keys they created stay the team's and keep working.`}
                          submitLabel="Remove member"
                          variant="danger"
                          hidden={{ ...hidden, userId: member.userId }}
                        />
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </Section>

      {permissions.manageInvites && (
        <Section id="invitations" title="Invitations" description="Invite by email with a role. They accept by signing in with that address, verified.">
          <InviteForm slug={team.slug} roles={roleOptions} />
          <h3 className="mt-6 text-sm font-medium">Pending</h3>
          {invites.length === 0 ? (
            <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">No pending invitations.</p>
          ) : (
            <ul className="mt-2 divide-y divide-zinc-100 text-sm dark:divide-zinc-800" aria-label="Pending invitations">
              {invites.map((invite) => (
                <li key={invite.id} className="flex flex-wrap items-center justify-between gap-2 py-2" data-testid={`invite-row-${invite.email}`}>
                  <span>
                    <span className="font-medium">{invite.email}</span> as {TEAM_ROLE_LABELS[invite.role].toLowerCase()}
                    <span className="block text-xs text-zinc-500 dark:text-zinc-400">
                      {invite.invitedBy ? `Invited by ${invite.invitedBy.email}; ` : ""}expires {formatAbsolute(invite.expiresAt)}
                    </span>
                  </span>
                  {mayAssignRole(role, invite.role) && (
                    <ConfirmActionButton
                      action={revokeInviteAction}
                      label="Revoke"
                      ariaLabel={`Revoke the invitation of ${invite.email}`}
                      title="Revoke invitation"
                      description={`The link sent to ${invite.email} stops working.`}
                      submitLabel="Revoke invitation"
                      variant="danger"
                      hidden={{ ...hidden, inviteId: invite.id }}
                    />
                  )}
                </li>
              ))}
            </ul>
          )}
        </Section>
      )}

      <Section id="leave" title="Leave the team" description="You lose access to its keys and pages. The keys you created stay the team's.">
        <ConfirmActionButton
          action={leaveTeamAction}
          label="Leave team"
          buttonVariant="secondary"
          title={`Leave ${team.name}`}
          description={role === "owner" ? "A team always keeps an owner: make someone else an owner first if you are the only one." : "You can come back only with a new invitation."}
          submitLabel="Leave team"
          variant="danger"
          hidden={hidden}
        />
      </Section>

      {(permissions.suspend || permissions.delete) && (
        <Section id="danger" title="Danger zone" tone="danger">
          <div className="space-y-4">
            {permissions.suspend && (
              <div className="flex flex-wrap items-center justify-between gap-3">
                <p className="max-w-xl text-sm">
                  {team.suspendedAt ? (
                    <>Suspended {formatAbsolute(team.suspendedAt)}. Lifting it makes the team&apos;s keys that were not revoked work again (a suspension by the site&apos;s admins can only be lifted by them).</>
                  ) : (
                    <>Suspending stops every key of the team at once, everywhere; nothing is deleted and it can be lifted.</>
                  )}
                </p>
                {team.suspendedAt ? (
                  <ConfirmActionButton
                    action={unsuspendTeamAction}
                    label="Lift suspension"
                    buttonVariant="secondary"
                    title="Lift the suspension"
                    description="The team's keys that were not revoked work again from the next request."
                    submitLabel="Lift suspension"
                    hidden={hidden}
                  />
                ) : (
                  <ConfirmActionButton
                    action={suspendTeamAction}
                    label="Suspend team"
                    buttonVariant="secondary"
                    title="Suspend the team"
                    description="Every key of the team is refused from the next request, on every instance."
                    submitLabel="Suspend team"
                    variant="danger"
                    hidden={hidden}
                    fields={[{ name: "reason", label: "Reason", required: true, hint: "The team's owners see it." }]}
                  />
                )}
              </div>
            )}
            {permissions.delete && (
              <div className="flex flex-wrap items-center justify-between gap-3 border-t border-red-100 pt-4 dark:border-red-500/20">
                <p className="max-w-xl text-sm">Deleting revokes every key of the team and its pending invitations. The audit trail stays. This cannot be undone.</p>
                <ConfirmActionButton
                  action={deleteTeamAction}
                  label="Delete team"
                  buttonVariant="danger"
                  title={`Delete ${team.name}`}
                  description="Every key of the team stops working for good."
                  submitLabel="Delete team"
                  variant="danger"
                  hidden={hidden}
                  fields={[{ name: "confirm", label: `Type ${team.slug} to confirm`, required: true }]}
                />
              </div>
            )}
          </div>
        </Section>
      )}
    </div>
  );
}
