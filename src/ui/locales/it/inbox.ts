import type { Translation } from "../../i18n";
import type en from "../en/inbox";

const words: Translation<typeof en> = {};
export default words;
