"use client";

import { type ActionField, ConfirmActionButton, type ConfirmActionButtonProps } from "@/components/confirm-action-button";
import type { AdminActionState } from "../actions";

export type { ActionField };

/** A table-row button that confirms in a dialog, runs an admin server action and toasts the result. */
export function AdminActionButton(props: ConfirmActionButtonProps<AdminActionState>) {
  return <ConfirmActionButton {...props} />;
}
