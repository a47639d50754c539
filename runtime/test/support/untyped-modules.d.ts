// Test-only servers that ship without type declarations, declared as far as the tests use them.
declare module 's3rver' {
  export default class S3rver {
    constructor(options: Record<string, unknown>);
    run(): Promise<{ address: string; port: number }>;
    close(): Promise<void>;
  }
}
declare module 'oidc-provider';
