var EmergencySolution = EmergencySolution || {};
EmergencySolution.ConversationForm = { isSaveOrRefreshAllowed: function () { return true; } };
