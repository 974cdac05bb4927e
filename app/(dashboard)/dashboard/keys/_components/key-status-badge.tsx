import { Badge, type BadgeTone } from "@/components/ui/badge";
import { KEY_STATUS_LABELS, type KeyStatus } from "@/lib/api-keys/key-status";

const TONES: Record<KeyStatus, BadgeTone> = { active: "green", expiring_soon: "amber", in_grace: "blue", expired: "zinc", revoked: "red" };

export function KeyStatusBadge({ status }: { status: KeyStatus }) {
  return <Badge tone={TONES[status]}>{KEY_STATUS_LABELS[status]}</Badge>;
}
