// Encryption at rest for personal data: what the domain and use cases need
// of it. The implementation (AES-256-GCM with the deployment's data key)
// lives in runtime/seal.ts.

export interface Sealer {
  seal(plain: string): string;
  open(sealed: string): string;
}
