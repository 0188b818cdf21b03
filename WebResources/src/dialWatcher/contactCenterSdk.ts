/**
 * The slice of Microsoft's Dynamics 365 Contact Center SDK (standalone mode, inside the agent's app) that the watcher
 * uses, shaped as Microsoft documents it (microsoft/dynamics-365-contact-center, "CCaaS SDK APIs": ConversationModule
 * onConversationLoaded, IConversationLoadedEventData, UtilityModule removeEventHandlerById). The SDK is a public
 * preview; no source says whether onConversationLoaded fires for an emergency call, which is why the server has its
 * own trigger and the panel a manual start.
 */

/** IConversationLoadedEventData. */
export interface ConversationLoadedEventData {
  readonly liveWorkItemId: string;
  readonly conversationType: string;
  readonly createdTimeStamp: string;
  readonly liveWorkStreamId?: string;
  readonly sessionId: string;
  readonly customerName: string;
  /** "Customer phone number": on an outbound call, the number the agent dialed. */
  readonly customerPhoneNumber?: string;
}

export interface StandaloneSdk {
  readonly conversation: {
    /** Standalone mode returns a handler id for removeEventHandlerById (the embed mode's typing says void). */
    onConversationLoaded(callback: (eventData: ConversationLoadedEventData) => void): unknown;
  };
  readonly utility?: {
    removeEventHandlerById(id: string): boolean;
  };
}

interface SdkHost {
  Microsoft?: { CCaaS?: { StandaloneSDK?: unknown; CCaaSSdk?: unknown } };
}

function isStandaloneSdk(candidate: unknown): candidate is StandaloneSdk {
  if (typeof candidate !== "object" || candidate === null) return false;
  const conversation = (candidate as { conversation?: unknown }).conversation;
  return (
    typeof conversation === "object" &&
    conversation !== null &&
    typeof (conversation as { onConversationLoaded?: unknown }).onConversationLoaded === "function"
  );
}

/**
 * The SDK on a window: Microsoft.CCaaS.StandaloneSDK as the API reference names it, or Microsoft.CCaaS.CCaaSSdk as
 * Microsoft's transcription sample calls it. Null when neither is there (an app without Contact Center, or an org
 * where the preview is not on).
 */
export function findStandaloneSdk(host: unknown): StandaloneSdk | null {
  const ccaas = (host as SdkHost | null | undefined)?.Microsoft?.CCaaS;
  if (isStandaloneSdk(ccaas?.StandaloneSDK)) return ccaas.StandaloneSDK;
  if (isStandaloneSdk(ccaas?.CCaaSSdk)) return ccaas.CCaaSSdk;
  return null;
}
