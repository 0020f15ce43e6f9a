export { problemsOf } from "./problems";
