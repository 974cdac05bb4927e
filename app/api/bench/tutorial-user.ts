/** The user whose bcrypt hash the tutorial route compares against; seeded by bench/seed.ts only. */
export const TUTORIAL_USER_EMAIL = "tutorial-baseline@bench.keyport.invalid";
