console.log("socnoc console test bundle");
