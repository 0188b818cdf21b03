import { beforeEach, describe, expect, it } from "vitest";
import { XrmMockGenerator } from "xrm-mock";
import { RECIPIENTS_ATTRIBUTE, RECIPIENTS_NOTIFICATION_ID, onLoad, onRecipientsChange } from "../../src/recipients/recipientsForm";
import { isValidCase, loadRecipientVectors } from "./recipientVectors";

/** A user form with the recipients column shown twice (body and header), as a customized form may have it. */
function userFormWith(value: string | null) {
  XrmMockGenerator.initialise();
  const attribute = XrmMockGenerator.Attribute.createString({ name: RECIPIENTS_ATTRIBUTE, value: value, maxLength: 4000 }, [
    { name: RECIPIENTS_ATTRIBUTE },
    { name: `header_${RECIPIENTS_ATTRIBUTE}` },
  ]);
  const controls = [
    XrmMockGenerator.getFormContext().getControl<Xrm.Controls.StringControl>(RECIPIENTS_ATTRIBUTE),
    XrmMockGenerator.getFormContext().getControl<Xrm.Controls.StringControl>(`header_${RECIPIENTS_ATTRIBUTE}`),
  ];
  const notificationsOf = (index: number): string[] =>
    ((controls[index] as unknown as { getNotifications(): Array<{ messages: string[]; uniqueId: string }> }).getNotifications() ?? [])
      .filter((notification) => notification.uniqueId === RECIPIENTS_NOTIFICATION_ID)
      .flatMap((notification) => notification.messages);
  return { attribute, eventContext: XrmMockGenerator.getEventContext(), notificationsOf };
}

describe("RecipientsForm against the shared vectors", () => {
  for (const vector of loadRecipientVectors().cases) {
    it(`OnRecipientsChange_${vector.name}`, () => {
      const form = userFormWith(vector.input);
      onRecipientsChange(form.eventContext);
      if (isValidCase(vector)) {
        expect(form.notificationsOf(0)).toEqual([]);
        expect(form.attribute.getValue()).toBe(vector.expected === "" ? null : vector.expected);
      } else {
        const [message] = form.notificationsOf(0);
        expect(message).toBeDefined();
        for (const error of vector.errors) {
          if (error.entry !== null) expect(message).toContain(`"${error.entry}"`);
        }
        expect(form.notificationsOf(1)).toEqual([message]);
        expect(form.attribute.getValue()).toBe(vector.input);
      }
    });
  }
});

describe("RecipientsForm", () => {
  beforeEach(() => XrmMockGenerator.initialise());

  it("OnRecipientsChange_OutlookPaste_RewritesTheFieldToTheStoredForm", () => {
    const form = userFormWith('"Doe, John" <john@contoso.com>;\r\nALICE@contoso.com, alice@contoso.com');
    onRecipientsChange(form.eventContext);
    expect(form.attribute.getValue()).toBe("john@contoso.com;ALICE@contoso.com");
  });

  it("OnRecipientsChange_TwoBadEntries_ListsEachWithItsReason", () => {
    const form = userFormWith("bob@example; carol; dave@contoso.com");
    onRecipientsChange(form.eventContext);
    expect(form.notificationsOf(0)).toEqual([
      'Emergency Call Notifications cannot be saved (2 problems): "bob@example" — the domain must contain a dot; "carol" — it has no @',
    ]);
  });

  it("OnRecipientsChange_FixedAfterError_ClearsTheNotification", () => {
    const form = userFormWith("carol");
    onRecipientsChange(form.eventContext);
    expect(form.notificationsOf(0)).toHaveLength(1);
    form.attribute.setValue("carol@contoso.com");
    onRecipientsChange(form.eventContext);
    expect(form.notificationsOf(0)).toEqual([]);
    expect(form.notificationsOf(1)).toEqual([]);
  });

  it("OnLoad_StoredBadValue_ShowsNotificationWithoutChangingTheValue", () => {
    const form = userFormWith(" carol ; a@contoso.com");
    onLoad(form.eventContext);
    expect(form.notificationsOf(0)).toHaveLength(1);
    expect(form.attribute.getValue()).toBe(" carol ; a@contoso.com");
    expect(form.attribute.getIsDirty()).toBe(false);
  });

  it("OnLoad_StoredValueNotNormalized_LeavesTheFieldUntouched", () => {
    const form = userFormWith("a@contoso.com, b@contoso.com");
    onLoad(form.eventContext);
    expect(form.attribute.getValue()).toBe("a@contoso.com, b@contoso.com");
    expect(form.notificationsOf(0)).toEqual([]);
  });

  it("OnRecipientsChange_FormWithoutTheColumn_DoesNothing", () => {
    const eventContext = XrmMockGenerator.getEventContext();
    expect(() => onRecipientsChange(eventContext)).not.toThrow();
  });
});
