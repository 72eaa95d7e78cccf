import type { Translation } from "../../i18n";
import type en from "../en/settings";

const words: Translation<typeof en> = {};
export default words;
