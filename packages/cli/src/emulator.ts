/** The executable's copy of the emulator (dist/emulator.cjs): required by `msint emulator` and `msint demo`. */
export * from "@msint/entra-emulator";
