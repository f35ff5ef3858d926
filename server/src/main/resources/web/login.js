// The login page: tells the server which login this browser already holds (the key main.js keeps), so logging in
// again replaces it rather than taking a second place among the server's logins.
const previous = document.querySelector('input[name="previous"]');
try {
    if (previous) previous.value = localStorage.getItem('lathe.key') || '';
} catch (e) {
    // storage blocked: a fresh login then
}
