/** The request header that carries a maintenance-mode node's bootstrap token. */
export const bootstrapTokenHeader = "keelson-bootstrap-token";
