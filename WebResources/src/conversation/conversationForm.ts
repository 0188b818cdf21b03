import { bareGuid, describeError, type DataClient } from "../shared/dataClient";
import { consoleLogger } from "../shared/logging";

const logger = consoleLogger("EmergencySolution conversation form");

export const EMERGENCY_NOTIFICATION_ID = "emc_emergency_call_in_progress";
export const EMERGENCY_NOTIFICATION_TEXT = "Emergency call in progress — Save and Refresh are unavailable";
/** SaveMode of an automatic save (Xrm.Events.SaveEventArguments.getSaveMode). */
export const AUTO_SAVE_MODE = 70;

export function activeEmergencyCallQuery(conversationId: string): string {
  return `?$select=emc_emergencycallid&$filter=_emc_conversationid_value eq ${bareGuid(conversationId)} and statecode eq 0&$top=1`;
}

/** True when an active emc_emergencycall row points at this conversation. One round trip. */
export async function isEmergencyConversation(conversationId: string, dataClient: DataClient): Promise<boolean> {
  const result = await dataClient.retrieveMultipleRecords("emc_emergencycall", activeEmergencyCallQuery(conversationId));
  return result.entities.length > 0;
}

function conversationIdOf(formContext: Xrm.FormContext): string {
  return bareGuid(formContext.data?.entity?.getId() ?? "");
}

/**
 * The save handler for an emergency conversation: an automatic save would write the conversation mid-call, so it is
 * cancelled; a save the agent asks for explicitly is left alone (the ribbon hides the button, this is the backstop).
 */
export function preventAutoSave(executionContext: Xrm.Events.SaveEventContext): void {
  const eventArgs = executionContext.getEventArgs();
  // The typings give an enum; the platform passes the plain number, which is what is compared.
  const saveMode: number = eventArgs.getSaveMode();
  if (saveMode === AUTO_SAVE_MODE) eventArgs.preventDefault();
}

/**
 * Active conversation OnLoad: during an emergency call, stop autosave and tell the agent why Save and Refresh are gone.
 * A failed lookup is logged and leaves the form as it is: the form must never get in the way of the call.
 */
export async function handleConversationLoad(formContext: Xrm.FormContext, dataClient: DataClient): Promise<boolean> {
  const conversationId = conversationIdOf(formContext);
  if (conversationId === "") return false;
  try {
    if (!(await isEmergencyConversation(conversationId, dataClient))) {
      formContext.ui.clearFormNotification(EMERGENCY_NOTIFICATION_ID);
      return false;
    }
  } catch (error) {
    logger.error(`could not check the conversation for an emergency call: ${describeError(error)}`);
    return false;
  }
  formContext.data.entity.removeOnSave(preventAutoSave);
  formContext.data.entity.addOnSave(preventAutoSave);
  formContext.ui.setFormNotification(EMERGENCY_NOTIFICATION_TEXT, "WARNING", EMERGENCY_NOTIFICATION_ID);
  return true;
}

/**
 * Custom EnableRule for the Save and Refresh commands of msdyn_ocliveworkitem (CrmParameter PrimaryControl). Unified
 * Interface hides a command whose enable rule is false and waits for a returned promise. If the lookup fails the
 * buttons stay: hiding them wrongly would cost the agent more than showing them does.
 */
export async function isSaveOrRefreshAllowed(primaryControl: Xrm.FormContext, dataClient: DataClient): Promise<boolean> {
  const conversationId = conversationIdOf(primaryControl);
  if (conversationId === "") return true;
  try {
    return !(await isEmergencyConversation(conversationId, dataClient));
  } catch (error) {
    logger.error(`could not check the conversation for an emergency call: ${describeError(error)}`);
    return true;
  }
}
