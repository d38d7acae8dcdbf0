"use strict";
// Custom messages between the extension and the ServiceX language server. The client imports this file; keep each
// message a constant with its parameter type next to it.
Object.defineProperty(exports, "__esModule", { value: true });
exports.FacilityCodegensNotification = void 0;
/** Client → server notification: the code generators and title limit of the connected ServiceX, null when none is. */
exports.FacilityCodegensNotification = 'coffeaCasa/facilityCodegens';
//# sourceMappingURL=protocol.js.map