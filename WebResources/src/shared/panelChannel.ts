/**
 * How the client watcher tells an open emergency panel about a call it is starting. Both run on the app's origin, so
 * a BroadcastChannel reaches the panel's frame without either reaching into the other's window. The messages carry
 * ids only; the panel reads the call itself (with its callback path) from Dataverse.
 */
export const PANEL_CHANNEL_NAME = "EmergencySolution.Panel";

export type PanelMessage =
  | { readonly type: "call-starting"; readonly conversationId: string }
  | { readonly type: "call-registered"; readonly conversationId: string; readonly emergencyCallId: string | null }
  | { readonly type: "call-failed"; readonly conversationId: string; readonly error: string };

/** The slice of BroadcastChannel used here. */
export interface PanelChannel {
  postMessage(message: PanelMessage): void;
  addEventListener(type: "message", listener: (event: { readonly data: unknown }) => void): void;
}

/** The channel, or null where the browser or a sandboxed frame has none (the panel then relies on its look-ups). */
export function openPanelChannel(): PanelChannel | null {
  try {
    return typeof BroadcastChannel === "function" ? new BroadcastChannel(PANEL_CHANNEL_NAME) : null;
  } catch {
    return null;
  }
}

export function isPanelMessage(value: unknown): value is PanelMessage {
  if (typeof value !== "object" || value === null) return false;
  const message = value as Record<string, unknown>;
  return (
    typeof message["conversationId"] === "string" &&
    (message["type"] === "call-starting" || message["type"] === "call-registered" || message["type"] === "call-failed")
  );
}
