import { addEtcdCommands } from "../../../keelctl/commands/etcd";
import { buildProgram } from "../../../keelctl/program";

// keelctl with the etcd commands, for tests until program.ts registers them.
const program = buildProgram();
addEtcdCommands(program);
await program.parseAsync(process.argv);
