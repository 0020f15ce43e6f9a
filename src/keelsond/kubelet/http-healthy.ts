import { get } from "node:http";

/** Resolves when `url` answers 200; rejects with what it answered or why it could not. */
export function httpHealthy(url: string, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = get(url, { signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        if (res.statusCode === 200) resolve();
        else
          reject(
            new Error(
              `${url}: ${res.statusCode} ${Buffer.concat(chunks).toString().slice(0, 200)}`,
            ),
          );
      });
    });
    request.on("error", (error) => reject(new Error(`${url}: ${error.message}`)));
  });
}
