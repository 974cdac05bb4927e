/**
 * Passwords of 10+ characters that top public breach lists (SecLists, NCSC's 100k list).
 * Shorter ones are already refused by the length rule. Compared lower-cased.
 */
export const COMMON_PASSWORDS = new Set([
  "1234567890", "12345678910", "123456789a", "1234567890a", "0123456789", "0987654321", "1111111111",
  "0000000000", "1234554321", "1q2w3e4r5t", "1qaz2wsx3edc", "qwertyuiop", "qwerty1234", "qwerty12345",
  "qwerty123456", "asdfghjkl1", "zxcvbnm123", "password12", "password123", "password1234", "password12345",
  "passw0rd123", "p@ssw0rd123", "iloveyou12", "iloveyou123", "princess123", "sunshine123", "football123",
  "baseball123", "superman123", "letmein123", "welcome123", "welcome1234", "changeme123", "administrator",
  "admin12345", "admin123456", "trustno1234", "starwars123", "dragon1234", "monkey12345", "michael123",
  "1234qwerty", "abcdefghij", "abcd123456", "abc1234567", "a123456789", "q1w2e3r4t5", "q1w2e3r4t5y6",
  "aa12345678", "qazwsxedc123", "1qazxsw23edc", "987654321a", "9876543210", "computer123", "internet123",
  "whatever123", "master1234", "shadow1234", "michelle123", "jennifer123", "jordan2323", "liverpool123",
  "chelsea123", "arsenal123", "manchester", "basketball", "skateboard", "butterfly1", "chocolate1",
  "strawberry", "pokemon123", "minecraft1", "minecraft123", "fortnite123", "samsung123", "google1234",
  "facebook123", "keyport123", "keyport1234", "apikey1234", "secret1234", "secret12345", "mypassword",
  "mypassword1", "yourpassword", "newpassword", "passwordpassword", "qwertyqwerty", "asdfasdfasdf",
  "1234512345", "1231231234", "1212121212", "6969696969", "7777777777", "9999999999", "2222222222",
]);

export function isCommonPassword(password: string): boolean {
  return COMMON_PASSWORDS.has(password.toLowerCase());
}
