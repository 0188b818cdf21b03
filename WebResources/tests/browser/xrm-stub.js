// Injected into the panel page before its own scripts (page.addInitScript), as plain JavaScript so no test transform
// can touch it. Reads window.__emcScenario, installs window.Xrm (and Microsoft.CIFramework when asked), and records
// every platform call in window.__emcPlatformCalls for the test to assert.
(function () {
  "use strict";
  var scenario = window.__emcScenario;
  var calls = [];
  window.__emcPlatformCalls = calls;
  function isoIn(seconds) {
    return new Date(Date.now() + seconds * 1000).toISOString();
  }
  function response(body) {
    return {
      ok: true,
      status: 200,
      json: function () {
        return Promise.resolve(body);
      },
    };
  }
  window.Xrm = {
    Utility: {
      getGlobalContext: function () {
        return { userSettings: { userId: "{" + scenario.userId.toUpperCase() + "}" } };
      },
    },
    WebApi: {
      retrieveMultipleRecords: function (entity, options) {
        calls.push({ api: "retrieveMultipleRecords", entity: entity, options: options });
        if (entity === "msdyn_presence") {
          var presences = { entities: scenario.dndPresenceText ? [{ msdyn_presencestatustext: scenario.dndPresenceText }] : [] };
          return new Promise(function (resolve) {
            setTimeout(function () {
              resolve(presences);
            }, scenario.dndLookupDelayMs || 0);
          });
        }
        var call = scenario.activeCall;
        var entities = call
          ? [
              {
                emc_emergencycallid: call.id,
                emc_callbackexpireson: isoIn(call.expiresInSeconds),
                emc_countrycode: "US",
                emc_callbacknumberid: { emc_number: call.callbackNumber },
              },
            ]
          : [];
        return Promise.resolve({ entities: entities });
      },
      retrieveRecord: function (entity, id, options) {
        calls.push({ api: "retrieveRecord", entity: entity, id: id, options: options });
        return Promise.resolve({ msdyn_presenceid: id, msdyn_presencestatustext: scenario.presenceText });
      },
      online: {
        execute: function (request) {
          var metadata = request.getMetadata();
          var parameters = {};
          Object.keys(request).forEach(function (key) {
            if (key !== "getMetadata") parameters[key] = request[key];
          });
          calls.push({
            api: "execute",
            operationName: metadata.operationName,
            operationType: metadata.operationType,
            parameters: parameters,
          });
          var answer;
          if (metadata.operationName === "emc_StartEmergencyCall") {
            answer = scenario.startResponse;
            if (answer.fail) return Promise.reject(new Error(answer.fail));
            var body = Object.assign({}, answer.body, { CallbackExpiresOn: isoIn(answer.expiresInSeconds) });
            return Promise.resolve(response(body));
          }
          if (metadata.operationName === "emc_EndEmergencyCall") {
            answer = scenario.endResponse;
            if (answer.fail) return Promise.reject(new Error(answer.fail));
            return Promise.resolve(response({ RestoredPresenceId: answer.restoredPresenceId }));
          }
          return Promise.reject(new Error("unexpected operation " + metadata.operationName));
        },
      },
    },
  };
  if (scenario.startInFlightBeforeLoad) {
    // What a previous page of this tab left behind when the pane reloaded while emc_StartEmergencyCall was running.
    window.sessionStorage.setItem("EmergencySolution.Panel.startInFlight", String(Date.now()));
  }
  if (scenario.withCiFramework) {
    window.Microsoft = {
      CIFramework: {
        setPresence: function (presenceText) {
          calls.push({ api: "CIFramework.setPresence", presenceText: presenceText });
          if (scenario.setPresenceFails) return Promise.reject(new Error(scenario.setPresenceFails));
          return Promise.resolve(true);
        },
      },
    };
  }
})();
