// Web resource emc_/scripts/conversation_form.js, on the active conversation form (msdyn_ocliveworkitem):
//   OnLoad: EmergencySolution.ConversationForm.onLoad (pass execution context);
//   ribbon EnableRule (CustomRule, CrmParameter PrimaryControl) for Save and Refresh:
//   EmergencySolution.ConversationForm.isSaveOrRefreshAllowed.
import { handleConversationLoad, isSaveOrRefreshAllowed as checkSaveOrRefresh } from "./conversationForm";
import { publish } from "../shared/namespace";
import type { DataClient } from "../shared/dataClient";

// The only place that reads the platform global; the logic receives the client as a parameter.
const platformDataClient = (): DataClient => Xrm.WebApi as unknown as DataClient;

publish("ConversationForm", {
  onLoad: (executionContext: Xrm.Events.EventContext): Promise<boolean> =>
    handleConversationLoad(executionContext.getFormContext(), platformDataClient()),
  isSaveOrRefreshAllowed: (primaryControl: Xrm.FormContext): Promise<boolean> => checkSaveOrRefresh(primaryControl, platformDataClient()),
});
