// Injected into a page before its own scripts (page.addInitScript), as plain JavaScript so no test transform can touch
// it. Reads window.__emcScenario, installs window.Xrm (WebApi, Utility, App.sidePanes) and, when asked, a stand-in of
// the Contact Center SDK shaped as Microsoft documents it (Microsoft.CCaaS.StandaloneSDK.conversation
// .onConversationLoaded, utility.removeEventHandlerById); records every platform call in window.__emcPlatformCalls.
(function () {
  "use strict";
  var scenario = window.__emcScenario;
  var calls = [];
  var startAttempts = 0;
  var callLookups = 0;
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
  function activeRow() {
    var call = scenario.activeCall;
    if (!call) return [];
    var row = {
      emc_emergencycallid: call.id,
      emc_callbackexpireson: call.expiresInSeconds === null ? null : isoIn(call.expiresInSeconds),
      emc_countrycode: "US",
      emc_callbacknumberid: call.callbackNumber ? { emc_number: call.callbackNumber } : null,
    };
    if (call.originPath !== undefined) row.emc_originpath = call.originPath;
    if (call.callbackDetails !== undefined) row.emc_callbackdetails = call.callbackDetails;
    return [row];
  }
  window.Xrm = {
    Utility: {
      getGlobalContext: function () {
        return { userSettings: { userId: "{" + scenario.userId.toUpperCase() + "}" } };
      },
    },
    App: {
      sidePanes: {
        getPane: function (paneId) {
          calls.push({ api: "sidePanes.getPane", id: paneId });
          return undefined;
        },
        createPane: function (options) {
          calls.push({ api: "sidePanes.createPane", id: options.paneId });
          return Promise.resolve({
            navigate: function (pageInput) {
              calls.push({ api: "pane.navigate", entity: pageInput.webresourceName });
              return Promise.resolve();
            },
          });
        },
      },
    },
    WebApi: {
      retrieveMultipleRecords: function (entity, options) {
        calls.push({ api: "retrieveMultipleRecords", entity: entity, options: options });
        if (entity === "environmentvariabledefinition") {
          return Promise.resolve({
            entities: [
              {
                schemaname: "emc_EmergencyNumbers",
                defaultvalue: '{"US":["911"],"PR":["911"],"CA":["911"],"GB":["999","112","911"],"DK":["112","911"]}',
                environmentvariabledefinition_environmentvariablevalue: [],
              },
            ],
          });
        }
        if (entity === "emc_emergencycall") {
          // After a start the row exists: the look-up the watcher's announcement triggers then finds it.
          // (In another page of the app, the row appears from the look-up numbered rowFromLookup on.)
          callLookups++;
          var started = startAttempts > 0 || (scenario.rowFromLookup && callLookups >= scenario.rowFromLookup);
          if (!scenario.activeCall && started && scenario.rowAfterStart) scenario.activeCall = scenario.rowAfterStart;
          return Promise.resolve({ entities: activeRow() });
        }
        if (entity === "msdyn_ocliveworkitem") {
          // The manual start's look-up of the agent's open outbound voice conversation.
          return Promise.resolve({ entities: scenario.openConversation ? [scenario.openConversation] : [] });
        }
        return Promise.reject(new Error("unexpected query of " + entity));
      },
      retrieveRecord: function (entity, id, options) {
        calls.push({ api: "retrieveRecord", entity: entity, id: id, options: options });
        if (entity === "systemuser") {
          return Promise.resolve({ msdyn_phonenumberid: scenario.agentCountry ? { msdyn_countryisocode: scenario.agentCountry } : null });
        }
        if (entity === "msdyn_ocliveworkitem") {
          return Promise.resolve({ msdyn_isoutbound: true, msdyn_channel: "192370000" });
        }
        return Promise.reject(new Error("unexpected read of " + entity));
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
            startAttempts++;
            if (answer.fail) return Promise.reject(new Error(answer.fail));
            if (answer.failFirst && startAttempts <= answer.failFirst)
              return Promise.reject(new Error("Service unavailable (attempt " + startAttempts + ")"));
            var body = Object.assign({}, answer.body, { CallbackExpiresOn: isoIn(answer.expiresInSeconds) });
            return Promise.resolve(response(body));
          }
          if (metadata.operationName === "emc_EndEmergencyCall") {
            answer = scenario.endResponse;
            if (answer.fail) return Promise.reject(new Error(answer.fail));
            return Promise.resolve(response({}));
          }
          return Promise.reject(new Error("unexpected operation " + metadata.operationName));
        },
      },
    },
  };
  if (scenario.withContactCenterSdk) {
    var handlers = {};
    var nextId = 0;
    window.Microsoft = {
      CCaaS: {
        StandaloneSDK: {
          conversation: {
            onConversationLoaded: function (callback) {
              nextId++;
              var id = "handler-" + nextId;
              handlers[id] = callback;
              calls.push({ api: "sdk.onConversationLoaded", id: id });
              return id;
            },
          },
          utility: {
            removeEventHandlerById: function (id) {
              var had = Object.prototype.hasOwnProperty.call(handlers, id);
              delete handlers[id];
              return had;
            },
          },
        },
      },
    };
    // The test's way of being the platform: fire IConversationLoadedEventData at every registered handler.
    window.__emcFireConversationLoaded = function (eventData) {
      Object.keys(handlers).forEach(function (id) {
        handlers[id](eventData);
      });
    };
  }
})();
