// Placeholder: filled in by the admin work.
document.getElementById('root')!.textContent = 'tradepane admin';
