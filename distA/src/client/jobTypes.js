export {};
//# sourceMappingURL=jobTypes.js.map