export { formatGoDuration, parseGoDuration } from "./go-duration";
