/**
 * node:os, loaded on first use. It is not in Node's start-up snapshot, so importing it costs every
 * start ~0.9 M instructions (callgrind), and the common paths never call it: HOME is set, and
 * only a write takes a lock (which records the host name).
 */
export const nodeOs = (): typeof import('node:os') => process.getBuiltinModule('node:os');
