// Web resource emc_/scripts/recipients_form.js. Register on the user form:
//   OnLoad: EmergencySolution.RecipientsForm.onLoad; OnChange of msdyn_emergencyemailrecipients (the platform's Emergency Call Notifications):
//   EmergencySolution.RecipientsForm.onRecipientsChange (both with "Pass execution context as first parameter").
import { onLoad, onRecipientsChange } from "./recipientsForm";
import { publish } from "../shared/namespace";

publish("RecipientsForm", { onLoad, onRecipientsChange });
