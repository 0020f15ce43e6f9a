export { roleTableMarkdown, withRoleTable } from "./role-table";
export { isRole, type Role, roles } from "./roles";
export { isAllowed, rolesFor, rpcRoles } from "./rpc-roles";
