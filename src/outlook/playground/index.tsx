// Placeholder: filled in by the playground work.
document.getElementById('root')!.textContent = 'tradepane playground';
