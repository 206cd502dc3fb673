// Public surface of @msint/auth-core; wired together once the modules land.
export {};
