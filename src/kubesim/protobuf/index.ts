export { protobufMediaType, wrap, wrapHead, wrapTail } from "./envelope";
export { encodeJson } from "./json-codec";
export { messageOf, metaMessage } from "./kinds";
export { decodeObject, encodeMessage, encodeObject, unknownFields } from "./object-codec";
