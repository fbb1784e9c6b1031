import type { Command } from "commander";
import { register as setup } from "./setup.ts";
import { register as prove } from "./prove.ts";
import { register as verify } from "./verify.ts";
import { register as vkey } from "./vkey.ts";
import { register as run } from "./run.ts";
import { register as demo } from "./demo.ts";
import { register as wrap } from "./wrap.ts";
import { register as relay } from "./relay.ts";
import { register as deploy } from "./deploy.ts";
import { register as status } from "./status.ts";

/** Each command module exports `register(program)`; add one line here per command. */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [
  run,
  setup,
  prove,
  verify,
  vkey,
  demo,
  wrap,
  relay,
  deploy,
  status,
];
