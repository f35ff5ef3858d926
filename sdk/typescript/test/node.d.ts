// The one Node global the test driver reads (the SDK itself needs no Node types).
declare const process: { env: Record<string, string | undefined> };
