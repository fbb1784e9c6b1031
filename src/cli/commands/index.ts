import type { Command } from "commander";
import { register as setup } from "./setup.ts";

/** Each command module exports `register(program)`; add one line here per command. */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [setup];
