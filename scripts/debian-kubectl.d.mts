/** Types of debian-kubectl.mjs, for the kubectl end-to-end tests. */
export declare function debianKubectl(): { path?: string; reason?: string };
