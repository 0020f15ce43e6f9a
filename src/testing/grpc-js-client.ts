import { type DescMessage, fromBinary, type MessageShape, toBinary } from "@bufbuild/protobuf";
import * as grpc from "@grpc/grpc-js";
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
    ): Promise<{ code: grpc.status; details: string; messages: Buffer[] }> {
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
            resolve({ code: e.code, details: e.details, messages }),
          );
          stream.on(
            "status",
            (s: grpc.StatusObject) =>
              s.code === grpc.status.OK && resolve({ code: s.code, details: s.details, messages }),
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
            if (error) resolve({ code: error.code, details: error.details, messages });
            else
              resolve({ code: grpc.status.OK, details: "", messages: response ? [response] : [] });
          },
        );
      });
    },
    close: () => client.close(),
  };
}
