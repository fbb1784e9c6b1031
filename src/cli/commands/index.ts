import type { Command } from "commander";

/** Each command module exports `register(program)`; add one line here per command. */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [];
