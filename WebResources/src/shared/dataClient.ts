/**
 * The slice of Xrm.WebApi that the web resources use. Handlers receive it as a parameter (the entry points pass
 * Xrm.WebApi), so tests hand in a fake and the logic never reaches for a global.
 */
export interface ExecuteResponseLike {
  readonly ok: boolean;
  readonly status?: number;
  json(): Promise<unknown>;
}

export interface RetrieveMultipleResultLike {
  readonly entities: Array<Record<string, unknown>>;
}

export interface DataClient {
  retrieveMultipleRecords(entityLogicalName: string, options?: string, maxPageSize?: number): PromiseLike<RetrieveMultipleResultLike>;
  retrieveRecord(entityLogicalName: string, id: string, options?: string): PromiseLike<Record<string, unknown>>;
  readonly online: {
    execute(request: unknown): PromiseLike<ExecuteResponseLike>;
  };
}

/** Structural property kinds of the Web API metadata (1 = primitive type, 4 = collection). */
export const StructuralProperty = { PrimitiveType: 1, Collection: 4 } as const;

export interface ParameterType {
  readonly typeName: string;
  readonly structuralProperty: number;
}

export interface OperationMetadata {
  readonly boundParameter: null;
  /** 0 = action, 1 = function. */
  readonly operationType: 0 | 1;
  readonly operationName: string;
  readonly parameterTypes: Readonly<Record<string, ParameterType>>;
}

/**
 * An unbound custom API request for Xrm.WebApi.online.execute: the parameter values as own properties plus the
 * getMetadata() the platform reads. Parameters whose value is undefined are left out, so optional inputs stay unset.
 */
export function createCustomApiRequest(
  operationName: string,
  operationType: 0 | 1,
  parameters: Readonly<Record<string, { readonly typeName: string; readonly value: unknown }>>,
): Record<string, unknown> & { getMetadata(): OperationMetadata } {
  const parameterTypes: Record<string, ParameterType> = {};
  const values: Record<string, unknown> = {};
  for (const [name, parameter] of Object.entries(parameters)) {
    if (parameter.value === undefined || parameter.value === null) continue;
    parameterTypes[name] = {
      typeName: parameter.typeName,
      structuralProperty: parameter.typeName.startsWith("Collection(") ? StructuralProperty.Collection : StructuralProperty.PrimitiveType,
    };
    values[name] = parameter.value;
  }
  const metadata: OperationMetadata = { boundParameter: null, operationType, operationName, parameterTypes };
  return { ...values, getMetadata: () => metadata };
}

/** Dataverse ids come with or without braces and in any case; the Web API wants them bare. */
export function bareGuid(id: string): string {
  return id.replace(/[{}]/g, "").toLowerCase();
}

/** Turns a failed call into a message an agent can read, without leaking the request (it may hold a phone number). */
export function describeError(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  if (typeof error === "object" && error !== null && "message" in error) {
    const message = error.message;
    if (typeof message === "string" && message.length > 0) return message;
  }
  if (typeof error === "string" && error.length > 0) return error;
  return "Unknown error";
}
