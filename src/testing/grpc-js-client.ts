import { type DescMessage, fromBinary, type MessageShape, toBinary } from "@bufbuild/protobuf";
import { BinaryReader } from "@bufbuild/protobuf/wire";
import { AnySchema } from "@bufbuild/protobuf/wkt";
import * as grpc from "@grpc/grpc-js";
import { ErrorHintSchema } from "../machinery/api/gen/keelson/machine/v1/error_hint_pb";
import { MachineService } from "../machinery/api/gen/keelson/machine/v1/machine_pb";
import type { Credentials } from "../machinery/client";

export const encode = <T extends DescMessage>(schema: T, message: MessageShape<T>): Uint8Array =>
  toBinary(schema, message);
export const decode = <T extends DescMessage>(schema: T, data: Uint8Array): MessageShape<T> =>
  fromBinary(schema, data);

/**
 * A client built on @grpc/grpc-js, an implementation independent of the
 * server's, to prove the API speaks plain gRPC that any stock client accepts.
 */
export function grpcJsClient(address: string, credentials: Credentials) {
  const own = credentials.cert ? [Buffer.from(credentials.key), Buffer.from(credentials.cert)] : [];
  const client = new grpc.Client(
    address,
    grpc.credentials.createSsl(Buffer.from(credentials.ca), ...own),
  );
  return {
    /** Calls any method by name with a raw, already-encoded request body; resolves with the status. */
    call(
      method: string,
      body: Uint8Array,
      deadlineMs = 5000,
    ): Promise<{ code: grpc.status; details: string; messages: Buffer[]; hints: string[] }> {
      const desc = MachineService.methods.find((m) => m.name === method);
      const path = `/${MachineService.typeName}/${method}`;
      const identity = (b: Buffer) => b;
      const deadline = new Date(Date.now() + deadlineMs);
      return new Promise((resolve) => {
        const messages: Buffer[] = [];
        if (desc?.methodKind === "server_streaming") {
          const stream = client.makeServerStreamRequest(
            path,
            identity,
            identity,
            Buffer.from(body),
            { deadline },
          );
          stream.on("data", (m: Buffer) => messages.push(m));
          stream.on("error", (e: grpc.ServiceError) =>
            resolve({ code: e.code, details: e.details, messages, hints: hintsOf(e.metadata) }),
          );
          stream.on(
            "status",
            (s: grpc.StatusObject) =>
              s.code === grpc.status.OK &&
              resolve({ code: s.code, details: s.details, messages, hints: [] }),
          );
          return;
        }
        client.makeUnaryRequest(
          path,
          identity,
          identity,
          Buffer.from(body),
          { deadline },
          (error, response) => {
            if (error)
              resolve({
                code: error.code,
                details: error.details,
                messages,
                hints: hintsOf(error.metadata),
              });
            else
              resolve({
                code: grpc.status.OK,
                details: "",
                messages: response ? [response] : [],
                hints: [],
              });
          },
        );
      });
    },
    close: () => client.close(),
  };
}

/**
 * The hints of a failed call, read as any gRPC client can: the
 * grpc-status-details-bin trailer is a google.rpc.Status whose details
 * (field 3) are Any messages; ours are keelson.machine.v1.ErrorHint.
 */
function hintsOf(metadata: grpc.Metadata | undefined): string[] {
  const raw = metadata?.get("grpc-status-details-bin")[0];
  if (!(raw instanceof Buffer)) return [];
  const hints: string[] = [];
  const reader = new BinaryReader(raw);
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field !== 3) {
      reader.skip(wireType);
      continue;
    }
    const any = fromBinary(AnySchema, reader.bytes());
    if (any.typeUrl.endsWith(`/${ErrorHintSchema.typeName}`))
      hints.push(fromBinary(ErrorHintSchema, any.value).hint);
  }
  return hints;
}
