import type { DataClient, ExecuteResponseLike, OperationMetadata } from "../../src/shared/dataClient";

export interface RecordedCall {
  readonly method: "retrieveMultipleRecords" | "retrieveRecord" | "execute";
  readonly entity?: string;
  readonly id?: string;
  readonly options?: string;
  readonly operationName?: string;
  readonly metadata?: OperationMetadata;
  readonly parameters?: Record<string, unknown>;
}

type Answer<T> = T | Error | ((call: RecordedCall) => T);

/** A Xrm.WebApi stand-in that records every round trip and answers from a script, so tests can assert both. */
export class FakeDataClient implements DataClient {
  readonly calls: RecordedCall[] = [];
  private readonly multipleAnswers = new Map<string, Answer<Array<Record<string, unknown>>>>();
  private readonly recordAnswers = new Map<string, Answer<Record<string, unknown>>>();
  private readonly executeAnswers = new Map<string, Answer<{ ok: boolean; status?: number; body: unknown }>>();

  whenRetrieveMultiple(entity: string, answer: Answer<Array<Record<string, unknown>>>): this {
    this.multipleAnswers.set(entity, answer);
    return this;
  }

  whenRetrieve(entity: string, answer: Answer<Record<string, unknown>>): this {
    this.recordAnswers.set(entity, answer);
    return this;
  }

  whenExecute(operationName: string, answer: Answer<{ ok: boolean; status?: number; body: unknown }>): this {
    this.executeAnswers.set(operationName, answer);
    return this;
  }

  private static resolve<T>(answer: Answer<T> | undefined, call: RecordedCall, what: string): Promise<T> {
    if (answer === undefined) return Promise.reject(new Error(`no answer scripted for ${what}`));
    if (answer instanceof Error) return Promise.reject(answer);
    if (typeof answer === "function") return Promise.resolve((answer as (call: RecordedCall) => T)(call));
    return Promise.resolve(answer);
  }

  retrieveMultipleRecords(entity: string, options?: string): Promise<{ entities: Array<Record<string, unknown>> }> {
    const call: RecordedCall = { method: "retrieveMultipleRecords", entity, ...(options !== undefined ? { options } : {}) };
    this.calls.push(call);
    return FakeDataClient.resolve(this.multipleAnswers.get(entity), call, entity).then((entities) => ({ entities }));
  }

  retrieveRecord(entity: string, id: string, options?: string): Promise<Record<string, unknown>> {
    const call: RecordedCall = { method: "retrieveRecord", entity, id, ...(options !== undefined ? { options } : {}) };
    this.calls.push(call);
    return FakeDataClient.resolve(this.recordAnswers.get(entity), call, entity);
  }

  readonly online = {
    execute: (request: unknown): Promise<ExecuteResponseLike> => {
      const typed = request as Record<string, unknown> & { getMetadata(): OperationMetadata };
      const metadata = typed.getMetadata();
      const parameters = Object.fromEntries(Object.entries(typed).filter(([key]) => key !== "getMetadata"));
      const call: RecordedCall = { method: "execute", operationName: metadata.operationName, metadata, parameters };
      this.calls.push(call);
      return FakeDataClient.resolve(this.executeAnswers.get(metadata.operationName), call, metadata.operationName).then((answer) => ({
        ok: answer.ok,
        status: answer.status ?? (answer.ok ? 200 : 500),
        json: () => Promise.resolve(answer.body),
      }));
    },
  };
}
