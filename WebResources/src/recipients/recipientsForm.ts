import { normalizeRecipients, type RecipientListResult } from "./recipientRules";

// The platform's own "Emergency Call Notifications" column on the Omnichannel tab of the User form (issue 13 item 4).
export const RECIPIENTS_ATTRIBUTE = "msdyn_emergencyemailrecipients";
export const RECIPIENTS_NOTIFICATION_ID = "emc_recipients_invalid";

/** One notification text that lists every problem, each naming the bad entry (the server message says the same). */
export function describeRecipientProblems(result: RecipientListResult): string {
  const count = result.errors.length;
  const heading = count === 1 ? "1 problem" : `${count} problems`;
  return `Emergency Call Notifications cannot be saved (${heading}): ${result.errors.map((error) => error.message).join("; ")}`;
}

function controlsOf(attribute: Xrm.Attributes.Attribute): Xrm.Controls.StandardControl[] {
  const controls: Xrm.Controls.StandardControl[] = [];
  attribute.controls.forEach((control) => {
    controls.push(control);
  });
  return controls;
}

/**
 * Shows (or clears) the field notification for the current value. With `applyNormalized`, a valid value is rewritten
 * to the stored form (trimmed, de-duplicated, joined with ";") so the admin sees what the server will keep.
 * Returns the rule result for callers and tests.
 */
export function validateRecipientsField(formContext: Xrm.FormContext, applyNormalized: boolean): RecipientListResult | null {
  const attribute = formContext.getAttribute<Xrm.Attributes.StringAttribute>(RECIPIENTS_ATTRIBUTE);
  // The column is only on forms that carry the Omnichannel tab; elsewhere there is nothing to check.
  if (!attribute) return null;

  const current = attribute.getValue();
  const result = normalizeRecipients(current);
  const controls = controlsOf(attribute);
  if (!result.isValid) {
    const message = describeRecipientProblems(result);
    for (const control of controls) control.setNotification(message, RECIPIENTS_NOTIFICATION_ID);
    return result;
  }

  for (const control of controls) control.clearNotification(RECIPIENTS_NOTIFICATION_ID);
  if (applyNormalized) {
    const normalizedValue = result.normalized === "" ? null : result.normalized;
    if ((current ?? null) !== normalizedValue) attribute.setValue(normalizedValue);
  }
  return result;
}

/** Form OnLoad: flags an already stored bad value without changing it (an old value may predate the rules). */
export function onLoad(executionContext: Xrm.Events.EventContext): void {
  validateRecipientsField(executionContext.getFormContext(), false);
}

/** Column OnChange: normalizes a good value in place, or lists every bad entry on the field. */
export function onRecipientsChange(executionContext: Xrm.Events.EventContext): void {
  validateRecipientsField(executionContext.getFormContext(), true);
}
